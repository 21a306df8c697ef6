"""Small reusable widgets: text helpers, passphrase field, strength meter, busy indicator."""

"""First run: welcome, passphrase, recovery key (shown once), profile."""

"""Small pieces several pages share and that belong to none of them."""

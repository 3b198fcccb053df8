"""`flask --app api resource new`: a declared resource written across every layer at once."""

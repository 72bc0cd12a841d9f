"""bonds."""

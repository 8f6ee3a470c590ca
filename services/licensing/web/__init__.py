"""The licensing portal pages."""

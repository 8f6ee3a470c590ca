"""The application families built on the framework (broadcasting lives in domain/broadcasting)."""

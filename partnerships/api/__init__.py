"""The public, read-only REST API under /api/ (serializers, filters and views)."""

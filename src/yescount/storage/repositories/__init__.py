"""Repositories: SQL in one place per aggregate; they return domain objects."""

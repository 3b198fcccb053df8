"""Alembic migration scripts for the SQL tables (applied by `flask --app api db upgrade`)."""

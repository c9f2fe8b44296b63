"""Extraction: a Document in, a DocResult out."""

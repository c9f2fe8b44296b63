"""The aikg ontology (Turtle) and its Python namespace."""

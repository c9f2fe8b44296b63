"""The example SPARQL queries, shipped as package data (``kg.queries``) for the web explorer."""

"""REST API and SPARQL endpoint over a built graph."""

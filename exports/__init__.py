"""One module per export format: serialize_x(graph) and write_x(graph, path)."""

from kg.cli import app

app()

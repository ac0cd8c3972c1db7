"""The web layer: the FastAPI app factory and (later) the UI's pages."""

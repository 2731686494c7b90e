"""The REST API: FastAPI on uvicorn, a thin layer over the services and queries."""

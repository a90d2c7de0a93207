"""The FastAPI app: routers, auth, problem+json errors, pages."""

"""`python -m app` runs the podclaims CLI."""
from app.cli import main

main()

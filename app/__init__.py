"""podclaims: a searchable knowledge base of claims made on AI podcasts."""

__version__ = "0.1.0"

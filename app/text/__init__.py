"""Text helpers shared by ingestion and search (normalisation, tokenizer)."""

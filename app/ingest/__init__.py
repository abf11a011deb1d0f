"""Transcript ingestion: readers → claims → attribute → classify → store."""

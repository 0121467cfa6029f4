"""The browser chat over the indexed interviews (`rag ui`)."""

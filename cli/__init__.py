"""The `rag` command line: the one caller that knows the library, the chat and the eval."""

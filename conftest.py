"""Doctest collection: the chat's Gradio wiring is left to the real tier (importing Gradio alone
takes seconds, and those modules' behaviour is tested in a real browser, tests/real/test_ui.py)."""

collect_ignore = ["ui/app.py", "ui/handlers.py"]

"""Renderers: Advice and listings as table (rich), JSON, Markdown or HTML."""

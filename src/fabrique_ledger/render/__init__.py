"""Renderers: turn library results into text (terminal, Markdown, MediaWiki, JSON, CSV, HTML)."""

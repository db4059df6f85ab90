"""Reports as text, the reference engine's JSON, JUnit and Markdown."""

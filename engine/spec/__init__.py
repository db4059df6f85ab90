"""Reading a provider's document: files, `$ref`s, dialects, and the index that routes requests."""

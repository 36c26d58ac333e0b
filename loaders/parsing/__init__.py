"""What several formats share: reading a document's tables, sections and method counts."""

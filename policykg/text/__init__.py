"""Reading documents: decoding, rejoining lines, headings, annotations, the annex table, the document model."""

"""The grammar of a letter, shared by every reader: headings, dates, parts and names."""

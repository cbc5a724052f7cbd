"""The offline gazetteer's data files, their build script and the analyst's own places."""

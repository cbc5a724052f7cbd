"""The offline gazetteer's data files and the script that builds them (``python -m gazetteer.build``)."""

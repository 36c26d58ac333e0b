"""The bundled example: the seed review's reference list and a data-extraction sheet."""

"""What the docs site builds from the code: the API reference, the settings table, the images."""

"""Each declared resource's bundle: its core declaration with every backend's and HTTP's."""

"""Moving every resource's entities between stores and files, through the repositories."""

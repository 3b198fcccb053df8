"""`flask --app api data export|import|copy`: every resource between stores and files."""

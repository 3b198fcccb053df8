"""In-memory storage: the unit-test fake and a runnable backend whose data lives for the process."""

print("gemba-bench: being written")

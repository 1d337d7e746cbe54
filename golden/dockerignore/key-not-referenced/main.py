print("hello")  # reads nothing from deploy/

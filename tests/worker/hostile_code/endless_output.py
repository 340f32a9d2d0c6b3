# Prints without end.
while True:
    print("spam " * 20)

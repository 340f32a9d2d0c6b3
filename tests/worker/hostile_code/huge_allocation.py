# Asks for a 20 GB tensor (5e9 float32 elements).
big = torch.ones(5_000_000_000)

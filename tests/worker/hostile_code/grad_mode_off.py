# A right loop that leaves grad mode off behind it.
for _ in range(300):
    loss = ((w * x + b - y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
    w.grad.zero_()
    b.grad.zero_()
torch.set_grad_enabled(False)

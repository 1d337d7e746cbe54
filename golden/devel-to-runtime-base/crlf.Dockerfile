# dopt-test: --unsafe-fixes
FROM pytorch/pytorch:2.1.0-cuda12.1-cudnn8-devel
CMD ["python", "-c", "import torch; print(torch.cuda.is_available())"]

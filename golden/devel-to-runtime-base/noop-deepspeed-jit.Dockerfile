# dopt-test: --unsafe-fixes
# DeepSpeed's ops are compiled at run time: the -devel image stays (the same list as DOP502's).
FROM pytorch/pytorch:2.2.0-cuda12.1-cudnn8-devel
RUN pip install --no-cache-dir deepspeed
CMD ["python", "train.py"]

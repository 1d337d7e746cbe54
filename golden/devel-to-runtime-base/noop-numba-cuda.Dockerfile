# dopt-test: --unsafe-fixes
# numba.cuda compiles kernels through libNVVM, which ships with the -devel toolchain only.
FROM pytorch/pytorch:2.2.0-cuda12.1-cudnn8-devel
RUN pip install --no-cache-dir numba==0.60.0
CMD ["python", "kernels.py"]

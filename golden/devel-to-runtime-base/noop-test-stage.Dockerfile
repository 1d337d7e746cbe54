# dopt-test: --unsafe-fixes
# A CI image: its jobs may build CUDA/C++ extensions (pytest over torch.utils.cpp_extension), so -devel stays.
FROM pytorch/pytorch:2.3.1-cuda12.1-cudnn8-devel AS ci
RUN pip install --no-cache-dir pytest==8.3.2 transformers==4.44.2
COPY . /src
WORKDIR /src
CMD ["python", "-m", "pytest", "-q", "tests/"]

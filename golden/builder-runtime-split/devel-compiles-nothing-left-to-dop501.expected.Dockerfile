# dopt-test: --unsafe-fixes --select DOP501,DOP502
# A -devel image where nothing compiles: DOP501 switches the tag; DOP502 does not also split onto the
# same -runtime image (a builder on the runtime tag would drop nothing).
FROM pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime
WORKDIR /workspace
RUN pip install --no-cache-dir tqdm==4.67.1 safetensors==0.4.5
COPY infer.py .
CMD ["python", "infer.py"]

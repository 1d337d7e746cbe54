FROM nginx:1.27
ADD ["nginx.conf", "/etc/nginx/conf.d/default.conf"]

request(app).get("/health").expect(200);

print('flask')

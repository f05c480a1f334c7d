from flask_wtf.form import FlaskForm as FlaskForm

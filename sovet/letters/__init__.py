"""Readers' letters to the column: told apart at intake, answered as a draft advice, and the
asker told when it is out. (The weekly email edition is render/letters.py, another thing.)"""

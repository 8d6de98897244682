<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>LetterPage</name>
    <message numerus="yes">
        <source>%Ln signature(s) on this device</source>
        <translation>
            <numerusform>%Ln signature on this device</numerusform>
            <numerusform>%Ln signatures on this device</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PickerPage</name>
    <message numerus="yes">
        <source>%Ln signature(s) on this device</source>
        <translation>
            <numerusform>%Ln signature on this device</numerusform>
            <numerusform>%Ln signatures on this device</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ThanksPage</name>
    <message numerus="yes">
        <source>%Ln signature(s) on this device</source>
        <translation>
            <numerusform>%Ln signature on this device</numerusform>
            <numerusform>%Ln signatures on this device</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Back to the letter in %n second(s).</source>
        <translation>
            <numerusform>Back to the letter in %n second.</numerusform>
            <numerusform>Back to the letter in %n seconds.</numerusform>
        </translation>
    </message>
</context>
</TS>